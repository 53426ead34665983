every :daily, at: '4am' do
  command 'x'
end
