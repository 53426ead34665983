# Evaluate many schedule files with the real whenever gem in one Ruby process, the way
# `whenever -f FILE` does (Whenever::CommandLine without --write/--update): chdir to the
# application root, `puts Whenever.cron(file: ...)`, then whenever's two message lines.
# Reads a JSON list of {"root": dir, "file": relative path, "set": "a=b"} on stdin and
# writes a JSON list of {"ok": bool, "stdout": text, "error": text}.
require 'json'
require 'stringio'
require 'whenever'

results = JSON.parse(STDIN.read).map do |item|
  out = StringIO.new
  saved = $stdout
  begin
    Dir.chdir(item['root']) do
      $stdout = out
      options = { file: item['file'] }
      options[:set] = item['set'] if item['set']
      puts Whenever.cron(options)
      puts "## [message] Above is your schedule file converted to cron syntax; your crontab file was not updated."
      puts "## [message] Run `whenever --help' for more options."
    end
    { 'ok' => true, 'stdout' => out.string, 'error' => nil }
  rescue Exception => e
    { 'ok' => false, 'stdout' => out.string, 'error' => "#{e.class}: #{e.message}"[0, 300] }
  ensure
    $stdout = saved
  end
end
STDOUT.write(JSON.generate(results))
