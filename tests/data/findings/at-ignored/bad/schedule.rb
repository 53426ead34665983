every '15 3 * * *', at: '4am' do
  command 'report'
end
