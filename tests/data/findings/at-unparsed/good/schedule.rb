every 1.day, at: '4:30 am' do
  command 'report'
end
