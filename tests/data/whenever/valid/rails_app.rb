require File.expand_path('../environment', __FILE__)

set :output, "#{Rails.root}/log/cron.log"
set :path, ENV.fetch('APP_ROOT', '/var/www/app/current')

every :day, at: '5:00 am' do
  runner 'Cleanup.run'
end

if Rails.env.production?
  every :hour do
    rake 'metrics:push'
  end
end
