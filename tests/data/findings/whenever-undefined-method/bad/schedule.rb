every 1.day do
  deliver_reports
end
