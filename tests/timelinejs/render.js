// Loads a TimelineJS3 JSON file with TimelineJS's own code (the npm package) in
// jsdom and prints what it made: slides, eras, and each event's start date.
"use strict";
const fs = require("fs");
const path = require("path");
const { JSDOM, VirtualConsole } = require("jsdom");

const data = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const script = fs.readFileSync(
  path.join(__dirname, "node_modules/@knight-lab/timelinejs/dist/js/timeline.js"),
  "utf8"
);
const errors = [];
const virtualConsole = new VirtualConsole();
virtualConsole.on("jsdomError", (e) => errors.push(String(e && e.message)));
const dom = new JSDOM('<!DOCTYPE html><div id="tl" style="width:1000px;height:600px"></div>', {
  runScripts: "outside-only",
  pretendToBeVisual: true,
  url: "http://localhost/",
  virtualConsole,
});
const win = dom.window;
win.eval(script);
const timeline = new win.TL.Timeline("tl", data, { script_path: "http://localhost/js/", language: "en", soundcite: false });
setTimeout(() => {
  const config = timeline.config || {};
  const out = {
    slides: win.document.querySelectorAll(".tl-slide").length,
    events: (config.events || []).length,
    eras: (config.eras || []).length,
    scale: config.scale,
    dates: (config.events || []).map((e) => [e.unique_id, e.start_date && e.start_date.data && e.start_date.data.year]),
    messages: (config.messages && config.messages.errors || []).map(String),
    errors,
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}, 1500);
