// Live batch progress: polls the page's Progress handler and updates counts, bars and the visible rows in place.
// No reloads; without JavaScript the page still shows the state as of loading it.
(function () {
    'use strict';
    var section = document.getElementById('progress');
    if (!section || section.dataset.live !== 'true') { return; }
    var url = section.dataset.progressUrl;
    var fastMs = 1500, slowMs = 5000;

    function rowIds() {
        return Array.prototype.map.call(document.querySelectorAll('#rows tr[data-row-id]'), function (tr) { return tr.dataset.rowId; }).join(',');
    }

    function setText(root, selector, value) {
        var el = root.querySelector(selector);
        if (el && el.textContent !== value) { el.textContent = value; }
        return el;
    }

    function format(n) { return n.toLocaleString('en-US'); }

    function apply(p) {
        setText(document, '#progress-text', p.text);
        var max = 1;
        Object.keys(p.counts).forEach(function (s) { max = Math.max(max, p.counts[s]); });
        Object.keys(p.counts).forEach(function (s) {
            var n = p.counts[s];
            setText(document, '[data-count="' + s + '"]', format(n));
            var bar = document.querySelector('[data-bar="' + s + '"]');
            if (bar) { bar.style.width = (p.total === 0 ? 0 : 100 * n / p.total) + '%'; }
            var rect = document.querySelector('[data-mix="' + s + '"]');
            if (rect) {
                var w = Math.round(230 * n / max);
                rect.setAttribute('width', w);
                var label = document.querySelector('[data-mix-label="' + s + '"]');
                if (label) { label.setAttribute('x', 72 + w + 4); label.textContent = format(n); }
            }
            setText(document, '[data-action-count="' + s + '"]', format(n));
            var action = document.querySelector('[data-action="' + s + '"]');
            if (action) { action.hidden = n === 0; }
        });
        var described = Object.keys(p.counts).filter(function (s) { return p.counts[s] > 0; }).map(function (s) { return format(p.counts[s]) + ' ' + s; });
        var bar = document.getElementById('progress-bar');
        if (bar) { bar.setAttribute('aria-label', 'Status mix: ' + described.join(', ')); }
        p.rows.forEach(function (r) {
            var tr = document.querySelector('#rows tr[data-row-id="' + r.id + '"]');
            if (!tr) { return; }
            var status = tr.querySelector('[data-field="status"]');
            if (status.textContent !== r.status) {
                status.textContent = r.status;
                status.className = 'status status-' + r.status;
            }
            setText(tr, '[data-field="attempts"]', String(r.attempts));
            setText(tr, '[data-field="lastError"]', r.lastError || '–');
            setText(tr, '[data-field="userId"]', r.userId || '–');
            setText(tr, '[data-field="invitedAt"]', r.invitedAt || '–');
            setText(tr, '[data-field="acceptedAt"]', r.acceptedAt || '–');
            setText(tr, '[data-field="updatedAt"]', r.updatedAt || '–');
            var redeem = tr.querySelector('[data-field="redeemUrl"]');
            if (redeem && r.redeemUrl && !redeem.querySelector('a')) {
                var a = document.createElement('a');
                a.href = r.redeemUrl; a.rel = 'noreferrer'; a.textContent = r.redeemUrl;
                redeem.textContent = ''; redeem.appendChild(a);
            }
            var advice = tr.querySelector('[data-field="advice"]');
            if (advice) {
                advice.hidden = !r.advice;
                setText(advice, '[data-field="reason"]', r.advice ? r.advice.reason : '');
                setText(advice, '[data-field="action"]', r.advice ? r.advice.action : '');
            }
        });
        var banner = document.getElementById('pacing-banner');
        if (banner) {
            banner.hidden = p.pacing.mode === 'Sending' || (!p.sending && p.pacing.mode !== 'Paused');
            banner.className = 'alert ' + (p.pacing.mode === 'Paused' ? 'alert-danger' : 'alert-warning');
            setText(banner, '[data-field="pacing"]', p.pacing.description);
        }
        section.dataset.live = p.live ? 'true' : 'false';
        return p;
    }

    function poll() {
        fetch(url + '&ids=' + rowIds(), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
            .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
            .then(apply)
            .then(function (p) {
                if (!p.live) { return; }
                setTimeout(poll, p.sending ? fastMs : slowMs);
            })
            .catch(function () { setTimeout(poll, slowMs); });
    }

    setTimeout(poll, fastMs);
})();
