# @environment is known (whenever's default "production"); ENV is not.
if @environment == 'production'
  every :hour do
    rake 'prod:sync'
  end
end

unless @environment == 'production'
  every :hour do
    rake 'never:here'
  end
end

if ENV['CRON_PRIMARY'] == '1'
  every :day, at: '2am' do
    rake 'primary:only'
  end
else
  every :day, at: '3am' do
    rake 'replica:only'
  end
end

case @environment
when 'staging' then every(:day) { rake 'staging:only' }
when 'production' then every(:day) { rake 'production:only' }
end
