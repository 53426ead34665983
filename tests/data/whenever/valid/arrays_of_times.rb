set :chronic_options, hours24: true

every :day, at: ['02:30', '14:30', '20:00'] do
  command 'sync'
end

every :weekday, at: '8:00, 8:10, 20:00' do
  command 'remind'
end

every [:monday, :thursday], at: '9:15' do
  command 'twice-weekly'
end
