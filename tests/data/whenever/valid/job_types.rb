# The four built-in job types, a custom one, env and output.
env :PATH, '/usr/local/bin:/usr/bin:/bin'
set :output, 'log/cron.log'
job_type :enqueue, 'cd :path && :environment_variable=:environment bin/enqueue :task :output'

every 1.day, at: '4:30 am' do
  command 'backup.sh --all'
  rake 'db:vacuum'
  runner 'Report.daily!'
  script 'cleanup'
  enqueue 'MailerJob'
end
