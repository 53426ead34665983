if Rails.env.production?
  every 1.day do
    rake 'reports:build'
  end
end
