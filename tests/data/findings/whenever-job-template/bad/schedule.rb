set :job_template, "nice -n 10 :job"
every 1.day do
  command 'report'
end
