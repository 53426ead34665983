every 1.day, at: 'whenever you like' do
  command 'report'
end
