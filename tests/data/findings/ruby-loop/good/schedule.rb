every 1.day do
  [1].each do
    command 'report'
  end
end
