every 1.day do
  command 'nice -n 10 report'
end
