// Draws the dashboard's charts from the JSON the page embeds (json_script); the tables beside
// them carry the same figures for screen readers and printing.
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const draw = (id, series, type) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const options = {
      plugins: { legend: { display: type !== "bar" } },
      animation: false,
      // The box around the canvas (.chart-box in app.css) sets the size, not the column width.
      maintainAspectRatio: false,
    };
    if (type === "bar") {
      // Counts of cases: whole numbers on the axis, never 0.5.
      options.scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
    }
    new Chart(canvas, {
      type: type,
      data: { labels: series.labels, datasets: [{ data: series.values }] },
      options: options,
    });
  };
  draw("chart-reasons", data.reasons, "bar");
  draw("chart-kinds", data.kinds, "doughnut");
})();
