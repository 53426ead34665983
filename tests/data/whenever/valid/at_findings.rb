# at: values whenever reads silently as midnight, ignores, or reads against the clock.
every :day, at: 'whenever you like' do
  command 'unreadable'
end

every '15 3 * * *', at: '4am' do
  command 'raw-cron-ignores-at'
end

every 1.month, at: 'January 5th 2am' do
  command 'day-from-the-string'
end

every :day, at: 'in 3 hours' do
  command 'depends-on-today'
end
