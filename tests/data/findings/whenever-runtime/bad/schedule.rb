every 1.day do
  command "report --since #{Time.now.to_i}"
end
