every 1.day do
  command 'report'
end
raise 'not on this host'
