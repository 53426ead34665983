every 10.minutes do
  runnder 'Task.update'
end
