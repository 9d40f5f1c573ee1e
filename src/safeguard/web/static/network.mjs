// The network picture: cytoscape.js (served from node_modules) draws the JSON of
// /people/{key}/network.json in #network-picture. The tables on the page list the same network.
import cytoscape from "/static/cytoscape/cytoscape.esm.min.mjs";

const COLOURS = {
  child: "#1d70b8",
  adult: "#505a5f",
  suspect: "#d4351c",
  place: "#00703c",
  phone: "#4c2c92",
  object: "#4c2c92",
};

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": "Arial, sans-serif",
      "font-size": 11,
      color: "#0b0c0c",
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "wrap",
      "text-max-width": 120,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 2,
      width: 28,
      height: 28,
      "background-color": "data(colour)",
      "border-width": 2,
      "border-color": "#ffffff",
    },
  },
  { selector: "node.child", style: { shape: "ellipse" } },
  { selector: "node.adult", style: { shape: "ellipse" } },
  { selector: "node.suspect", style: { shape: "diamond", width: 32, height: 32 } },
  { selector: "node.place", style: { shape: "round-rectangle", width: 34, height: 24 } },
  { selector: "node.phone, node.object", style: { shape: "rectangle", width: 16, height: 24 } },
  { selector: "node.flagged", style: { "border-width": 5, "border-color": "#f47738" } },
  { selector: "node.restricted", style: { "background-color": "#b1b4b6" } },
  {
    selector: "node.subject",
    style: { width: 44, height: 44, "font-weight": "bold", "font-size": 13 },
  },
  {
    selector: "edge",
    style: {
      label: "data(label)",
      "font-size": 9,
      color: "#505a5f",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      width: 2,
      "line-color": "#b1b4b6",
      "curve-style": "bezier",
      "control-point-step-size": 60,
    },
  },
  {
    selector: "edge.relation",
    style: { "target-arrow-shape": "triangle", "target-arrow-color": "#b1b4b6" },
  },
  { selector: "edge.co_present", style: { "line-color": "#f47738", "line-style": "dashed" } },
  { selector: "edge.ended", style: { "line-style": "dotted" } },
];

const DIRECTED = ["parent_of", "carer_of"]; // the others read the same both ways

function caption(node) {
  const age = node.age === null || node.age === undefined ? "" : ` (${node.age})`;
  const marker = node.flags.length ? "\u26A0 " : "";
  return marker + node.label + age;
}

function nodeElement(node, subject) {
  const kind = node.type === "person" ? node.kind : node.type;
  const classes = [kind];
  if (node.type === "person") classes.push("person");
  if (node.flags.length) classes.push("flagged");
  if (node.restricted) classes.push("restricted");
  if (node.id === subject) classes.push("subject");
  return {
    group: "nodes",
    data: {
      id: node.id,
      label: caption(node),
      href: node.href,
      step: node.step,
      colour: COLOURS[kind] || COLOURS.adult,
    },
    classes: classes.join(" "),
  };
}

function edgeElement(edge) {
  const classes = [edge.relation.split(":")[0]];
  if (DIRECTED.includes(edge.relation)) classes.push("relation");
  if (edge.current === false) classes.push("ended");
  return {
    group: "edges",
    data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label },
    classes: classes.join(" "),
  };
}

function zoomButtons(cy) {
  const steps = { in: 1.25, out: 0.8 };
  for (const button of document.querySelectorAll("[data-network-zoom]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const how = button.dataset.networkZoom;
      if (how === "fit") {
        cy.fit(undefined, 40);
        return;
      }
      const centre = { x: cy.width() / 2, y: cy.height() / 2 };
      cy.zoom({ level: cy.zoom() * steps[how], renderedPosition: centre });
    });
  }
}

async function draw(box) {
  const response = await fetch(box.dataset.src, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    box.dataset.state = "failed";
    return;
  }
  const net = await response.json();
  const cy = cytoscape({
    container: box,
    elements: [...net.nodes.map((n) => nodeElement(n, net.subject)), ...net.edges.map(edgeElement)],
    style: STYLE,
    layout: {
      name: "concentric",
      concentric: (node) => 3 - node.data("step"),
      levelWidth: () => 1,
      minNodeSpacing: 90,
      animate: false,
      padding: 40,
    },
    minZoom: 0.2,
    maxZoom: 1.5,
    userZoomingEnabled: false, // the wheel scrolls the page; the buttons zoom
    boxSelectionEnabled: false,
  });
  zoomButtons(cy);
  cy.on("tap", "node.person", (event) => {
    const href = event.target.data("href");
    if (href) window.location.assign(href);
  });
  // where the subject is drawn, kept current as the picture zooms (read by the browser tests)
  const markSubject = () => {
    const at = cy.$id(net.subject).renderedPosition();
    box.dataset.subjectAt = `${Math.round(at.x)},${Math.round(at.y)}`;
  };
  cy.on("viewport", markSubject);
  markSubject();
  box.dataset.state = "drawn";
  box.dataset.nodes = String(cy.nodes().length);
}

const box = document.getElementById("network-picture");
if (box) draw(box);
