every :day, at: 'in 3 hours' do
  command 'report'
end
