every 1.day do
  command "report #{ENV.fetch('REGION', 'eu')}"
end
