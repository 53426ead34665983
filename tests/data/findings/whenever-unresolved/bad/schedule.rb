every 1.day do
  command "report #{Billing::REGION}"
end
