# Jobs whose calls span lines, share an `every` block, and repeat `end` everywhere.
set :output, nil
set :path, '/srv/app'

every 1.day, at: '4:30 am' do
  runner 'Cleanup.run(
    days: 30)'
  rake 'cache:clear'
end

every :hour do
  command "echo hourly"
end

every [:monday, :thursday], at: '06:00' do
  rake 'reports:mail', output: 'log/reports.log'
end
