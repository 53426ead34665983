every 2.years do
  command 'too-rare'
end

every :day do
  command 'fine'
end
