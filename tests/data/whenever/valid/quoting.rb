every :day do
  command %q{date +%Y-%m-%d > /tmp/today}
  runner "Report.run('daily', 50%)"
  command 'echo "double"'
end
