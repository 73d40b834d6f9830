package kernelspec

// logoSVG is the launcher icon Jupyter shows for the kernel (logo-svg.svg in the kernel directory).
var logoSVG = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect x="2" y="2" width="60" height="60" rx="10" fill="#00add8"/>
<path d="M10 46 L22 30 L32 38 L42 16 L54 24" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/>
<text x="32" y="58" font-family="sans-serif" font-size="12" font-weight="bold" fill="#fff" text-anchor="middle">cwnb</text>
</svg>
`)
