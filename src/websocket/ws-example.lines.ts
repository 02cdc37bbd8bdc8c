/**
 * The start-up output's WebSocket example: a node one-liner (with the `ws` package the repo
 * installs) that sends a dev `.header` file's header on the upgrade, prints the greeting, and
 * prints the close code and reason of a refusal.
 */
export function wsExampleLines(headerFile: (name: string) => string, url: string): string[] {
  const target = `${url.replace(/^http/, 'ws')}/ws`;
  const script =
    `const [n,v]=require('fs').readFileSync(process.argv[1],'utf8').split(': ');` +
    `const s=new (require('ws'))('${target}',{headers:{[n]:v.trim()}});` +
    `s.on('message',m=>{console.log(String(m));s.close()});s.on('close',(c,r)=>c>=4000&&console.log(c,String(r)))`;
  return [
    `  node -e "${script}" ${headerFile('registered')}`,
    `      # WebSocket ${target}: {"account":"orders-client","subject":"CN=registered-client,..."}; with unregistered.header: 4403 IDENTITY_UNKNOWN`,
  ];
}
