every :day do
  command 'x'
