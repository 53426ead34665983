every :day, at: '3 am' do
  command 'report'
end
