every 1.day do
  loop do
    command 'report'
    break
  end
end
