/** One example command line per command, printed after a usage error. */
export const commandExamples: Record<string, string> = {
  procvision: 'procvision init my-algo --pids A01,A02',
  init: 'procvision init screw-check --pids A01,A02 -d ./algorithms',
  validate: 'procvision validate ./screw-check --json',
  run: 'procvision run ./screw-check --pid A01 --image samples/ok.png --params \'{"threshold":60}\' --report out/',
  package: 'procvision package ./screw-check -o screw-check.zip --target linux-x64',
  runner: 'procvision runner list --store ./runtime_store',
  install: 'procvision runner install screw-check-v1.0.0-linux-x64-offline.zip --store ./runtime_store',
  list: 'procvision runner list --store ./runtime_store --json',
  activate: 'procvision runner activate screw-check 1.0.0 --pid A01,A02 --store ./runtime_store',
  rollback: 'procvision runner rollback screw-check --pid A01 --store ./runtime_store',
  uninstall: 'procvision runner uninstall screw-check 1.0.0 --store ./runtime_store',
  exec: 'procvision runner exec --pid A01 --image part.jpg --store ./runtime_store --json',
  serve: 'procvision runner serve --store ./runtime_store --port 7070',
  status: 'procvision runner status --fleet stations.json --token-file fleet.token',
};

/** The example for a command name, or the top-level one. */
export function exampleFor(commandName: string): string {
  return commandExamples[commandName] ?? commandExamples['procvision'] ?? 'procvision --help';
}
