every 1.day do
  runner 'Report.deliver'
end
