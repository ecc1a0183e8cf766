// Copies the front-end libraries npm installed into the apps' static folders (committed, so
// `./dev up` needs no npm). Run with `npm run copy` after `npm ci`.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const FILES = {
  "civic/api/static/api/graphiql": [
    "graphiql/graphiql.min.css",
    "graphiql/graphiql.min.js",
    "graphiql/LICENSE",
    "@graphiql/plugin-explorer/dist/style.css",
    "@graphiql/plugin-explorer/dist/graphiql-plugin-explorer.umd.js",
    "whatwg-fetch/dist/fetch.umd.js",
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "graphql-ws/umd/graphql-ws.min.js",
  ],
  "civic/operations/static/operations/vendor/echarts": ["echarts/dist/echarts.min.js", "echarts/LICENSE"],
};
const RENAMED = { "@graphiql/plugin-explorer/dist/style.css": "plugin-explorer.css" };

for (const [target, files] of Object.entries(FILES)) {
  fs.mkdirSync(path.join(root, target), { recursive: true });
  for (const file of files) {
    const name = RENAMED[file] || path.basename(file);
    fs.copyFileSync(path.join(root, "node_modules", file), path.join(root, target, name));
    console.log(`${file} -> ${target}/${name}`);
  }
}
