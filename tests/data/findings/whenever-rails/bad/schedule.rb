every 1.day do
  command "cd #{Rails.root} && report"
end
