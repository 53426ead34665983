every 1.day do
  warn 'scheduling the report'
  command 'report'
end
