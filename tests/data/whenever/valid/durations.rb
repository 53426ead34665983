every 1.week do
  command 'weekly-ish'
end

every 2.days, at: '1:15 am' do
  command 'odd-days'
end

every 40.minutes do
  command 'hourly-at-40'
end

every 12.months do
  command 'december'
end

every :reboot do
  command 'start-daemon'
end
