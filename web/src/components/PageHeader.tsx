import { useEffect, useRef, type ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  /** Under the title: what the page is for, or where the item belongs. */
  subtitle?: ReactNode;
  /** Beside the title, e.g. a status badge. */
  badge?: ReactNode;
  actions?: ReactNode;
}

/**
 * Each page's heading. It takes focus when the page opens, so keyboard and screen-reader users
 * start at the new page's top instead of wherever the previous page left them.
 */
export function PageHeader({ title, subtitle, badge, actions }: PageHeaderProps) {
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    document.title = `${title} · Mailwright`;
  }, [title]);

  return (
    <header className="page-header">
      <div className="page-heading">
        <div className="page-title-row">
          <h1 ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {badge}
        </div>
        {subtitle && <div className="page-subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
