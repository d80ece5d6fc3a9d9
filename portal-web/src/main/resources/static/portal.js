// Progressive enhancement only: every page works without this file.
(function () {
  document.querySelectorAll('button.copy').forEach(function (button) {
    button.addEventListener('click', function () {
      var field = document.getElementById(button.getAttribute('data-copy'));
      field.select();
      var done = function () { button.textContent = 'Copied'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          document.execCommand('copy'); done();
        });
      } else {
        document.execCommand('copy'); done();
      }
    });
  });
  var canvas = document.getElementById('usage-chart');
  if (canvas && window.Chart) {
    var data = JSON.parse(canvas.getAttribute('data-chart'));
    var styles = getComputedStyle(document.documentElement);
    var colours = [styles.getPropertyValue('--primary').trim() || '#1f4b99',
                   styles.getPropertyValue('--accent').trim() || '#e8a33d', '#2e7d32', '#8e24aa'];
    data.datasets.forEach(function (set, i) {
      set.backgroundColor = colours[i % colours.length];
      set.borderColor = colours[i % colours.length];
    });
    new window.Chart(canvas, {
      type: 'bar',
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
})();
