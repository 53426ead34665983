every 1.day do
  command "report #{Integer('10')}"
end
