set :path, '/srv/app'
set :output, proc { ">> #{ENV['LOG_DIR']}/cron.log 2>&1" }

every 1.day, at: '4:30 am' do
  command '/opt/app/bin/sweep'
end
