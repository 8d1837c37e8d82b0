/** The product mark: an envelope on the accent colour; decorative beside the name. */
export function Logo() {
  return (
    <svg
      className="logo"
      width="28"
      height="28"
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path
        d="M8 11h16v11H8zM8 11l8 6 8-6"
        fill="none"
        stroke="#fff"
        strokeWidth="2"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}
