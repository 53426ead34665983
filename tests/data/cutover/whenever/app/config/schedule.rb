set :path, '/srv/app'
set :environment, 'production'

every 1.day, at: '4:30 am' do
  rake 'reports:build'
end

every :hour do
  rake 'cache:sweep'
end
