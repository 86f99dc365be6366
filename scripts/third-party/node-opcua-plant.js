#!/usr/bin/env node
// A third-party OPC UA server for trying the hub as a plant would: node-opcua, not Milo.
// Three machines of line 1 whose State is an integer code (1 running, 2 idle), with a GoodCount
// counter and NO operation node (machine 1 also has an OrderNo node; 2 and 3 none), served twice:
//   opc.tcp://<host>:4334/UA/Press   SecurityPolicy None, anonymous
//   opc.tcp://<host>:4335/UA/Press   Basic256Sha256 SignAndEncrypt only, user name and password
// Node ids: nsu=urn:acme:press-plant;s=Line1.M<m>.State | .GoodCount | .OrderNo (machine 1 only).
// The machines keep producing while the servers are down, as a PLC does while its OPC UA server
// restarts: kill -USR1 <pid> stops both servers for OUTAGE_SECONDS (default 10) and starts them
// again with new sessions, and prints when each happened. kill -USR2 prints the counters;
// kill -HUP pauses production (all idle, counters still) and resumes it, so totals can be compared.
//
// Usage (manual check, see docs/opcua-adapter.md "Trying it against a third-party server"):
//   npm install node-opcua@2.182.2            # in any folder outside the repository
//   PLANT_PASSWORD=... NODE_PATH=$PWD/node_modules node scripts/third-party/node-opcua-plant.js <pki folder>
// The server's own PKI is <pki folder> (node-opcua's layout: trusted/, rejected/, own/); the hub's
// certificate lands in <pki folder>/rejected and must be moved to <pki folder>/trusted/certs.
"use strict";
const path = require("path");
const {
    OPCUAServer, OPCUACertificateManager, Variant, DataType, SecurityPolicy, MessageSecurityMode,
} = require("node-opcua");

const pkiRoot = path.resolve(process.argv[2] || "node-opcua-pki");
const outage = Number(process.env.OUTAGE_SECONDS || 10) * 1000;
const user = process.env.PLANT_USER || "millwright";
const password = process.env.PLANT_PASSWORD;
if (!password) {
    console.error("PLANT_PASSWORD must be set: the password of user '" + user + "' on the secure endpoint");
    process.exit(2);
}

// the plant: runs on whether or not the OPC UA servers are up
const machines = [1, 2, 3].map(m => ({ m, state: 2, good: 1000 * m, order: "4711001" }));
let tick = 0;
let paused = false;
setInterval(() => {
    tick++;
    for (const machine of machines) {
        if (paused) { machine.state = 2; continue; }
        // machine m runs for 20 s, then idles 5 s, phase-shifted per machine
        const phase = (tick + 7 * machine.m) % 25;
        machine.state = phase < 20 ? 1 : 2;
        if (machine.state === 1) machine.good += 1;
    }
    for (const server of running) server.refresh();
}, 1000);

const log = (...args) => console.log(new Date().toISOString(), ...args);
let running = [];

async function serve(port, secure) {
    const server = new OPCUAServer({
        port,
        resourcePath: "/UA/Press",
        buildInfo: { productName: "node-opcua press plant", manufacturerName: "third-party check" },
        securityPolicies: secure ? [SecurityPolicy.Basic256Sha256] : [SecurityPolicy.None],
        securityModes: secure ? [MessageSecurityMode.SignAndEncrypt] : [MessageSecurityMode.None],
        allowAnonymous: !secure,
        userManager: { isValidUser: (name, pass) => name === user && pass === password },
        serverCertificateManager: new OPCUACertificateManager({
            rootFolder: pkiRoot, automaticallyAcceptUnknownCertificate: false,
        }),
    });
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    const ns = addressSpace.registerNamespace("urn:acme:press-plant");
    const line = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Line1", nodeId: "s=Line1" });
    const variables = [];
    for (const machine of machines) {
        const object = ns.addObject({ organizedBy: line, browseName: "M" + machine.m, nodeId: `s=Line1.M${machine.m}` });
        const add = (name, dataType, read) => {
            const variable = ns.addVariable({
                componentOf: object, browseName: name, nodeId: `s=Line1.M${machine.m}.${name}`, dataType,
            });
            const set = () => variable.setValueFromSource(new Variant({ dataType: DataType[dataType], value: read() }));
            set();
            variables.push(set);
        };
        add("State", "Int32", () => machine.state);
        add("GoodCount", "UInt32", () => machine.good);
        if (machine.m === 1) add("OrderNo", "String", () => machine.order);
    }
    await server.start();
    log(`listening ${server.getEndpointUrl()} secure=${secure}`);
    server.on("create_session", session => log(`session created port=${port} client=${session.clientDescription?.applicationUri}`));
    server.refresh = () => variables.forEach(set => set());
    return server;
}

async function startAll() {
    running = [await serve(4334, false), await serve(4335, true)];
    log("up");
}

process.on("SIGUSR1", async () => {
    const servers = running;
    running = [];
    await Promise.all(servers.map(s => s.shutdown(0)));
    log(`down for ${outage / 1000} s; counts ${machines.map(m => m.good).join(",")}`);
    setTimeout(startAll, outage);
});
process.on("SIGUSR2", () => log(`counts ${machines.map(m => "M" + m.m + "=" + m.good).join(" ")}`));
process.on("SIGHUP", () => {
    paused = !paused;
    log(`production ${paused ? "paused (all idle)" : "resumed"}; counts ${machines.map(m => "M" + m.m + "=" + m.good).join(" ")}`);
});
process.on("SIGINT", async () => { await Promise.all(running.map(s => s.shutdown(0))); process.exit(0); });

startAll().catch(e => { console.error(e); process.exit(1); });
