every :day, at: '1am', roles: [:db] do
  rake 'db:backup'
end

every :hour, mailto: 'ops@example.com', roles: [:app, :worker] do
  command 'check-health'
end

every :sunday, at: '6pm' do
  command 'weekly-report', mailto: 'boss@example.com'
end
