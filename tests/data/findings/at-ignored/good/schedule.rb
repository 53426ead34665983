every 1.day, at: '4am' do
  command 'report'
end
