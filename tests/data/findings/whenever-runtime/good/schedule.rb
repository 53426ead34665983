every 1.day do
  command 'report --since 0'
end
