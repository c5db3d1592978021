// Draws the dashboard's charts from the JSON the page embeds (json_script); the tables beside
// them carry the same figures for screen readers and printing.
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const draw = (id, series, type) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: type,
      data: { labels: series.labels, datasets: [{ data: series.values }] },
      options: { plugins: { legend: { display: type !== "bar" } }, animation: false },
    });
  };
  draw("chart-reasons", data.reasons, "bar");
  draw("chart-kinds", data.kinds, "doughnut");
})();
