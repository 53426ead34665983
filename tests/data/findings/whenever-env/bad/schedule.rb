every 1.day do
  command "report #{ENV['REGION']}"
end
