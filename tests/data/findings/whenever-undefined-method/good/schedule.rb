def deliver_reports
  command 'report'
end
every 1.day do
  deliver_reports
end
