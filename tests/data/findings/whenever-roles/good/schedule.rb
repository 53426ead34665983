set :path, '/srv/app'

every 1.day, at: '4:30 am' do
  runner 'Db.vacuum'
end
