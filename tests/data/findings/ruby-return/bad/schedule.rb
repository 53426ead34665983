every 1.day do
  command 'report'
end
return
