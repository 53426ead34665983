# Shop application: scheduled jobs (whenever 1.0).
# Capistrano installs this on each server with
#   whenever --update-crontab shop --set environment=production --roles <server roles>

set :path, '/var/www/shop/current'
set :output, 'log/cron.log'
set :bundle_command, 'bundle exec'
set :runner_command, 'bin/rails runner'
set :chronic_options, hours24: true

env :PATH, '/usr/local/bin:/usr/bin:/bin'
env :MAILTO, 'ops@shop.example'

# Enqueue a background job instead of booting Rails in cron.
job_type :enqueue, 'cd :path && :environment_variable=:environment :bundle_command bin/enqueue :task :output'

every 5.minutes, roles: [:worker] do
  runner 'Orders::ExpireCarts.call'
end

# Backups twice a day on the database host.
every 1.day, at: ['02:30', '14:30'], roles: [:db] do
  rake 'db:backup'
end

every :day, at: '04:15', roles: [:app] do
  rake 'sitemap:refresh'
  command 'find /var/www/shop/current/tmp/cache -type f -mtime +7 -delete', output: nil
end

every :monday, at: '07:00' do
  runner 'Reports::Weekly.deliver', mailto: 'finance@shop.example'
end

every :weekday, at: '18:45', roles: [:worker] do
  enqueue 'InvoiceReminderJob'
end

every 1.month, at: 'start of the month at 03:00' do
  rake 'billing:close_month'
end

if @environment == 'production'
  every 1.hour do
    rake 'search:reindex_delta'
  end
else
  every :day, at: '01:00' do
    rake 'search:reindex_delta'
  end
end

%w(orders customers).each_with_index do |report, i|
  every :sunday, at: "0#{5 + i}:00" do
    rake "export:#{report}"
  end
end

every '30 6 1,15 * *' do
  command 'curl -fsS "https://partner.example.com/ping?shop=42&ts=$(date +%s)"'
end

every :reboot, roles: [:worker] do
  command 'cd /var/www/shop/current && bundle exec sidekiq -C config/sidekiq.yml'
end
