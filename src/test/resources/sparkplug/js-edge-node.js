// A Sparkplug B edge node written with Eclipse Tahu's JavaScript client (npm sparkplug-client, its own
// protobuf encoding through sparkplug-payload): a third-party peer for the hub's Sparkplug host
// (SparkplugThirdPartyEdgeTest). Usage: node js-edge-node.js <broker url> <group> <edge node> <device>
// Reads one command per line on stdin and prints what it did on stdout:
//   data <good count> <temperature>   DDATA by alias
//   unknown-alias                     DDATA with an alias the births never declared
//   stop                              NDEATH (bdSeq of the session), then end
// Answers a rebirth request (NCMD Node Control/Rebirth = true) with new births, printing REBIRTH-REQUESTED.
const sparkplug = require('sparkplug-client');
const readline = require('readline');

const [url, groupId, edgeNode, device] = process.argv.slice(2);
const client = sparkplug.newClient({
  serverUrl: url, groupId, edgeNode, clientId: 'js-' + edgeNode + '-' + process.pid,
  username: '', password: '', publishDeath: true, version: 'spBv1.0'
});
let births = 0;

function publishBirths() {
  const now = Date.now();
  client.publishNodeBirth({ timestamp: now, metrics: [
    { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
    { name: 'Uptime', alias: 1, type: 'Int64', value: 10 }
  ] });
  client.publishDeviceBirth(device, { timestamp: now, metrics: [
    { name: 'Production/Order', alias: 12, type: 'String', value: '1000888' },
    { name: 'Production/Operation', alias: 13, type: 'String', value: '0010' },
    { name: 'Production/GoodCount', alias: 10, type: 'UInt32', value: 200 },
    { name: 'Process/Temperature', alias: 11, type: 'Float', value: 40.5 }
  ] });
  births++;
  console.log('BIRTH ' + births);
}

client.on('birth', publishBirths);
client.on('ncmd', payload => {
  const rebirth = (payload.metrics || []).find(m => m.name === 'Node Control/Rebirth');
  if (rebirth && rebirth.value) {
    console.log('REBIRTH-REQUESTED');
    publishBirths();
  }
});
client.on('error', e => console.log('ERROR ' + e));

readline.createInterface({ input: process.stdin }).on('line', line => {
  const [command, ...args] = line.trim().split(/\s+/);
  if (command === 'data') {
    client.publishDeviceData(device, { timestamp: Date.now(), metrics: [
      { alias: 10, type: 'UInt32', value: Number(args[0]) },
      { alias: 11, type: 'Float', value: Number(args[1]) }
    ] });
    console.log('DATA ' + args.join(' '));
  } else if (command === 'unknown-alias') {
    client.publishDeviceData(device, { timestamp: Date.now(), metrics: [{ alias: 99, type: 'Float', value: 1.5 }] });
    console.log('UNKNOWN-ALIAS');
  } else if (command === 'stop') {
    client.stop();
    console.log('STOPPED');
    setTimeout(() => process.exit(0), 500);
  }
});
