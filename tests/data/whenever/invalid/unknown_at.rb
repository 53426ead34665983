every :day, at: ENV['BACKUP_AT'] do
  rake 'db:backup'
end
